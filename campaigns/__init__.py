"""The campaign service: cached, coalesced access to Mimecast's list, and name matching."""

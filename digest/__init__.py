"""The weekly digest: periods, snapshots, composition, the ledger, exactly-once posting."""

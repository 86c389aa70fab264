"""Snapshot copy: the newest automated RDS/Aurora snapshots to KMS-encrypted copies, pruned by policy."""

"""dbops: the shared package of the dbops Lambda functions (built into the CommonLayer)."""

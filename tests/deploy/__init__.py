"""Deploy tests: the built wheel, the lock files, the service unit and the TLS proxy."""

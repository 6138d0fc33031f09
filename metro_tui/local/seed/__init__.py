"""The demo dataset: planned as plain values (`plan` and the modules it draws on), then written
through the local backend's own storage (`writes`); `dataset.seed_database` does both."""

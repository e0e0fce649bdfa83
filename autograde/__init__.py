"""The course toolchain: release, check, grade, demo and verify (`python -m autograde VERB`)."""

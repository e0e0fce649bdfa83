"""The graded checks: the registry and runner (`spec`), the public checks that ship to students (`public/`), the
hidden ones that stay with the instructor (`hidden/`), and the generator of the stored expected values
(`python -m autograde expected`, module `generate`)."""

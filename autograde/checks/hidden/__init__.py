"""Hidden checks: what the public checks miss (other shapes and seeds, edge cases, inputs left unmodified).
They stay with the instructor: the release never ships this package or expected/hidden.npz."""

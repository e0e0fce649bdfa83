"""Where student code runs: the isolation this machine allows (`isolation`), the bubblewrap profiles of the library
probe child and of the notebook kernel (`profiles`), process and thread caps (`pids`), and the one way to start,
limit and kill a sandboxed process (`process`)."""

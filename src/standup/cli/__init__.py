"""The command line: argv to commands."""

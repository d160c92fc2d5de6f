"""The command line's commands by area; cli.py gathers them into the `accord` group."""

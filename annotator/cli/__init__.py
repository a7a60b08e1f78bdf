"""The command line: ``annotator`` opens the GUI; subcommands serve pipelines."""

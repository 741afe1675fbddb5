"""What a paper printed and what a reanalysis asks: the study and analysis models and their file loaders."""

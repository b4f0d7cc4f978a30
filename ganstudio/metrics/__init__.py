"""Quality figures for image generators: a per-dataset classifier as feature extractor and
distances between feature clouds (Fréchet, kernel, precision / recall)."""

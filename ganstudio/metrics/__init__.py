"""Quality figures for image generators: a per-dataset classifier as feature extractor and
distances between feature clouds (Fréchet, kernel, precision / recall) for the 28 px sets; SWD
and KID in the bundled painting network's features against any folder of real images."""

"""The GAN Lab: a small 2D GAN whose every step can be watched, taken apart and replayed."""

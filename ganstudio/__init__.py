"""GAN Studio: train generative adversarial networks on your own images and create with them."""

__version__ = "0.1.0"

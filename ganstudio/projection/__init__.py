"""Projection: find the latent of a user's photo in a generator (StyleGAN's W / W+, a DCGAN's z).

`photo` crops and resizes the photo, `losses` holds the weight-free losses, `subject` the
differentiable view of a model, `optimise` the loop that yields plain-data events to the CLI and
the window. Nothing here knows of walks: the CLI and the window turn a `Projection` into a keyframe.
"""

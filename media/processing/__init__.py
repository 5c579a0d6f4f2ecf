"""Turning uploaded or fetched bytes into the files we serve: images with Pillow, audio and
video with ffmpeg. Everything here works on local paths and knows nothing of the database."""

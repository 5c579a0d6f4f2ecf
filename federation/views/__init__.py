"""ActivityPub documents served to other servers: actors, posts and collections."""

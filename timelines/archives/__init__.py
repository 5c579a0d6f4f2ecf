"""Reading and writing whole-account archives: the checks that keep a hostile zip harmless,
streaming JSON, and the Mastodon and Twitter formats turned into one kind of post."""

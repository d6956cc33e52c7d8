"""Live data: Jikan v4 and AniList clients, and what a refresh adds to the store."""

from .line.channel import friend_url


def line(request):
    """LINE_FRIEND_URL for the footer and the home page: empty unless a channel is set up."""
    return {"LINE_FRIEND_URL": friend_url()}

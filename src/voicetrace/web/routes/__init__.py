"""One module per page; each defines ``router`` with the HTML page and its JSON twin under /api."""

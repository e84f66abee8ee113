"""The app's pages, one module per page (routes are listed in ``bibliomap.app.server``)."""

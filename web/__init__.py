"""The HTTP side of Effekt: the ASGI app (st.App) with its Starlette routes and middleware.

Above ``ui/`` in the layers: it may use ``ui``, ``reports``, ``data`` and ``metrics``; nothing
imports it but ``cli.py serve`` and the tools that start a server.
"""

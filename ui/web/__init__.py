"""The web UI in parts: one module per tab (`*_tab.py`), the service container, uploads, rendering
helpers, the error guard and the ASGI wrapper; ui/app.py assembles them."""

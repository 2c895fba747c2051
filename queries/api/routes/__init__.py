"""The API's routes, one module per question; each only parses, calls a service and returns its answer."""

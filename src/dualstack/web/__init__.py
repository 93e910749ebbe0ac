"""The local web UI (``dualstack web``): server-rendered pages over the same library calls the
CLI makes. Each page lives in :mod:`dualstack.web.pages` as a Flask blueprint named ``page``;
the app finds them there, so a page is one module and one template."""

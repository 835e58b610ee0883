"""The staff web app: a thin FastAPI layer over the library for the front desk.

Officers log in, upload an application's scans from a desk scanner or a phone,
watch it being read, see the verdict, and correct a misread field. Modules:
`db` (tables and queries), `auth` (accounts, sessions, CSRF), `uploads`
(content checks and durable storage), `worker` (OCR off the request path),
`corrections` (re-checking without re-OCR), `pages` and `api` (the routes),
`app` (assembly), `cli` (`intake serve`, `intake users`).
"""

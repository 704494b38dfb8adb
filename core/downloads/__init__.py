"""Downloads: safe file names, and moving one file to disk over HTTP (or from a local folder) with resume.

No Qt here: the download queue calls ``download_file`` from its worker threads.
"""

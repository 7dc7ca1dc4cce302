"""Demo content for development and reviews: fiction written for this project, marked as sample.

``articles.demo.loader.load_demo_content`` builds the site; the management command
``load_demo_content`` runs it.
"""

"""The demo city of Zennegem (``flask demo``): a synthetic register file (``register_file``),
loaded through the real importer (``loader``), and the story after it (``story``)."""

"""Recruitment e-mail: the message and SMTP connection (``smtp``), sending each step exactly
once (``mailing``), bounces read back (``dsn`` parses, ``bounces`` applies; ``flask mail`` in
``cli``)."""

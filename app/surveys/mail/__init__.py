"""Survey e-mails: the message (``message``), sending each step once (``sending``), the job."""

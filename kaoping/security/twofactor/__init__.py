"""Two-factor authentication (django-otp TOTP plus one-time backup codes) and re-authentication."""

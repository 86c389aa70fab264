"""Secrets Manager rotation of MySQL and MariaDB passwords: single user and alternating users."""

"""MySQL and MariaDB access: the only modules that import pymysql."""

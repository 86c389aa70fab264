-- The example catalogue's tables (catalogue.yaml). The local stack loads this into MariaDB.
CREATE TABLE IF NOT EXISTS customers (
    id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    email VARCHAR(254) NOT NULL,
    name VARCHAR(80) NOT NULL,
    created_on DATE NOT NULL,
    vip BOOLEAN NOT NULL DEFAULT FALSE,
    last_order_at DATETIME(6) NULL,
    KEY customers_by_created_on (created_on, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS orders (
    id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    customer_id BIGINT UNSIGNED NOT NULL,
    status VARCHAR(16) NOT NULL,
    total DECIMAL(12, 2) NOT NULL,
    placed_at DATETIME(6) NOT NULL,
    KEY orders_by_customer (customer_id, id),
    CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

import type { QueryRunner } from 'typeorm';

/** Column types of system tables per dialect, shared by the migrations. */
export function sqlTypes(qr: QueryRunner) {
  const mysql = qr.connection.options.type === 'mysql';
  return {
    mysql,
    ts: mysql ? 'DATETIME(3)' : 'TEXT',
    id: mysql ? 'VARCHAR(36)' : 'TEXT',
    str: (n: number) => (mysql ? `VARCHAR(${n})` : 'TEXT'),
    text: mysql ? 'MEDIUMTEXT' : 'TEXT',
    bool: mysql ? 'TINYINT(1)' : 'INTEGER',
    bigAuto: mysql ? 'BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT',
    tail: mysql ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '',
  };
}

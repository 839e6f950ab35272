-- Databases of the compose stack: one per service that owns state, and the demo's downstream database.
CREATE DATABASE rekey_inventory;
CREATE DATABASE rekey_notifier;
CREATE DATABASE appdb;

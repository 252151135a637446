import Extract

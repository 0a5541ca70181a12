/** steward/privacy/accountant (filled in by its module). */
export {};

/** steward/privacy/dp-sgd (filled in by its module). */
export {};

/** steward/explain/shap (filled in by its module). */
export {};

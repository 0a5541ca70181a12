"""scikit-learn side of bench/train.js: the same Adult design matrix, the same models.

Run by bench/run-all.js with Debian's python3-sklearn (apt-get install python3-sklearn); prints
one JSON line per case: fit seconds, iterations, training accuracy, peak RSS of the process.
Each case runs in a fresh process (this script takes the case name) so peak RSS is its own.
"""
import json
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

path, case = sys.argv[1], sys.argv[2]
data = np.loadtxt(path, delimiter=",")
X, y = data[:, :-1], data[:, -1].astype(int)
del data
cases = {
    # scikit-learn's default stop (tol 1e-4): far from the optimum, see BENCHMARKS.md.
    "sk-lr-default": lambda: LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000),
    # As tight as scipy's L-BFGS-B allows here, for a like-for-like optimum.
    "sk-lr-tight": lambda: LogisticRegression(C=1.0, solver="lbfgs", tol=1e-10, max_iter=10000),
    "sk-mlp": lambda: MLPClassifier(hidden_layer_sizes=(32,), batch_size=200, max_iter=30,
                                    early_stopping=True, random_state=0),
}
model = cases[case]()
t0 = time.perf_counter()
model.fit(X, y)
seconds = time.perf_counter() - t0
n_iter = int(np.max(model.n_iter_))
print(json.dumps({
    "bench": "train-anchor", "case": case, "sklearn": sklearn.__version__, "rows": X.shape[0],
    "cols": X.shape[1], "fitSeconds": round(seconds, 3), "nIter": n_iter,
    "trainAccuracy": round(float(model.score(X, y)), 4),
    "maxRssProcessMiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))

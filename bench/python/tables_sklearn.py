"""scikit-learn's answer to `deltaprop train` + `deltaprop evaluate` on a
table: a Pipeline of a ColumnTransformer (numeric columns: mean imputation
and standard scaling; categorical: most-frequent imputation and one-hot
encoding, at most 100 columns) and an MLP with deltaprop's CLI defaults.

Usage: tables_sklearn.py TRAIN.csv TEST.csv --target T --task classification|regression
       --seed S [--ignore COLUMN]...

The CSV files are read as the deltaprop CLI reads them: cells trimmed, the
same spellings of a missing value, rows whose target is missing left out,
and a column numeric when every value it has is a number (categorical
otherwise). BLAS threads come from OPENBLAS_NUM_THREADS, set by the caller.
Prints one JSON object."""
import time

IMPORTS_STARTED = time.perf_counter()

import argparse
import json
import re
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from blas_info import blas_libraries

IMPORT_SECONDS = time.perf_counter() - IMPORTS_STARTED

# src/cli/csv.ts: MISSING_CELLS and parseNumber.
MISSING = ['', 'NA', 'N/A', 'n/a', '#N/A', 'NaN', 'nan', '-nan', 'NULL', 'null', '?']
NUMBER = re.compile(r'^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$')


def read(path):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    # csv-parse's trim, then the missing spellings.
    frame = frame.apply(lambda column: column.str.strip())
    return frame.where(~frame.isin(MISSING), np.nan)


def is_numeric(values):
    present = values.dropna()
    return len(present) > 0 and bool(present.map(lambda cell: NUMBER.match(cell) is not None).all())


def blas_threadpools():
    try:
        from threadpoolctl import threadpool_info
        return [{k: pool.get(k) for k in ('internal_api', 'version', 'architecture', 'threading_layer', 'num_threads', 'filepath')}
                for pool in threadpool_info() if pool.get('user_api') == 'blas']
    except Exception as error:  # threadpoolctl missing or failing: say so rather than guess
        return [{'error': str(error)}]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('train')
    parser.add_argument('test')
    parser.add_argument('--target', required=True)
    parser.add_argument('--task', choices=['classification', 'regression'], required=True)
    parser.add_argument('--seed', type=int, required=True)
    parser.add_argument('--ignore', action='append', default=[])
    args = parser.parse_args()

    train, test = read(args.train), read(args.test)
    dropped = {'train': int(train[args.target].isna().sum()), 'test': int(test[args.target].isna().sum())}
    train = train[train[args.target].notna()]
    test = test[test[args.target].notna()]
    features = [c for c in train.columns if c != args.target and c not in args.ignore]
    # A column without a single value in the training rows is left out, as the CLI does.
    features = [c for c in features if train[c].notna().any()]
    numeric = [c for c in features if is_numeric(train[c])]
    categorical = [c for c in features if c not in numeric]

    def inputs(frame):
        x = frame[features].copy()
        for c in numeric:
            x[c] = x[c].astype(float)
        return x

    x_train, x_test = inputs(train), inputs(test)
    prep = ColumnTransformer([
        ('num', Pipeline([('impute', SimpleImputer(strategy='mean')), ('scale', StandardScaler())]), numeric),
        ('cat', Pipeline([('impute', SimpleImputer(strategy='most_frequent')),
                          ('onehot', OneHotEncoder(handle_unknown='infrequent_if_exist', max_categories=100))]), categorical),
    ])
    mlp_options = dict(hidden_layer_sizes=(64, 32), activation='relu', solver='adam', learning_rate_init=0.001, batch_size=32,
                       max_iter=100, early_stopping=True, validation_fraction=0.2, n_iter_no_change=10, random_state=args.seed)
    if args.task == 'classification':
        mlp = MLPClassifier(**mlp_options)
        model = Pipeline([('prep', prep), ('mlp', mlp)])
        y_train, y_test = train[args.target].to_numpy(), test[args.target].to_numpy()
    else:
        # The target standardised for the network and scaled back for predictions: what deltaprop's CLI does too.
        model = Pipeline([('prep', prep), ('mlp', TransformedTargetRegressor(regressor=MLPRegressor(**mlp_options), transformer=StandardScaler()))])
        y_train, y_test = train[args.target].astype(float).to_numpy(), test[args.target].astype(float).to_numpy()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always', ConvergenceWarning)
        started = time.perf_counter()
        model.fit(x_train, y_train)
        fit_seconds = time.perf_counter() - started
    predicted = model.predict(x_test)
    score = accuracy_score(y_test, predicted) if args.task == 'classification' else r2_score(y_test, predicted)
    fitted = model.named_steps['mlp']
    if args.task == 'regression':
        fitted = fitted.regressor_
    encoded = model.named_steps['prep'].transform(x_train.iloc[:1]).shape[1]

    print(json.dumps({
        'sklearn': sklearn.__version__, 'numpy': np.__version__, 'pandas': pd.__version__,
        'metric': 'accuracy' if args.task == 'classification' else 'r2', 'score': float(score),
        'fit_seconds': fit_seconds, 'import_seconds': IMPORT_SECONDS,
        'epochs': int(fitted.n_iter_), 'best_validation_score': float(fitted.best_validation_score_),
        'convergence_warning': any(issubclass(w.category, ConvergenceWarning) for w in caught),
        'train_rows': len(x_train), 'test_rows': len(x_test), 'dropped_rows': dropped,
        'numeric': numeric, 'categorical': categorical, 'ignored': [c for c in args.ignore if c in train.columns], 'encoded_width': int(encoded),
        'blas': blas_threadpools(), 'blas_libraries': blas_libraries(),
    }))


main()

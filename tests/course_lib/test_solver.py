import pickle

import numpy as np
import pytest
from sklearn.datasets import load_digits

from course_lib import optim
from course_lib.classifiers import FullyConnectedNet
from course_lib.solver import Solver


@pytest.fixture(scope="module")
def digits_data():
    """Real 8x8 digits (64 features), 200 to train and 100 to validate."""
    digits = load_digits()
    X = (digits.data / 16.0 - 0.5).astype(np.float64)
    y = digits.target
    return {"X_train": X[:200], "y_train": y[:200], "X_val": X[200:300], "y_val": y[200:300]}


def small_model(**options):
    return FullyConnectedNet([32], input_dim=64, num_classes=10, weight_scale=5e-2, **options)


def test_solver_overfits_fifty_examples_to_full_training_accuracy(digits_data):
    np.random.seed(231)
    data = {**digits_data, "X_train": digits_data["X_train"][:50], "y_train": digits_data["y_train"][:50]}
    model = FullyConnectedNet([100, 100], input_dim=64, num_classes=10, weight_scale=5e-2)
    solver = Solver(model, data, update_rule="adam", optim_config={"learning_rate": 1e-2}, num_epochs=20,
                    batch_size=25, verbose=False)
    solver.train()
    assert solver.train_acc_history[-1] == 1.0
    assert solver.loss_history[-1] < 0.1 * solver.loss_history[0]


def test_solver_records_one_loss_per_iteration_and_accuracies_after_the_first_iteration_and_each_epoch(digits_data):
    np.random.seed(0)
    solver = Solver(small_model(), digits_data, num_epochs=3, batch_size=50, verbose=False)
    solver.train()
    assert len(solver.loss_history) == 3 * (200 // 50) == solver.iteration
    assert len(solver.train_acc_history) == len(solver.val_acc_history) == 4
    assert solver.epoch == 3


def test_solver_restores_the_parameters_of_the_best_validation_accuracy(digits_data):
    np.random.seed(0)
    model = small_model()
    solver = Solver(model, digits_data, update_rule="sgd_momentum", optim_config={"learning_rate": 0.2},
                    num_epochs=4, batch_size=20, num_val_samples=None, verbose=False)
    solver.train()
    assert solver.best_val_acc == max(solver.val_acc_history)
    assert solver.check_accuracy(digits_data["X_val"], digits_data["y_val"]) == solver.best_val_acc
    assert all(np.array_equal(model.params[name], solver.best_params[name]) for name in model.params)


def test_solver_gives_each_parameter_its_own_copy_of_optim_config_and_decays_the_learning_rate(digits_data):
    np.random.seed(0)
    optim_config = {"learning_rate": 1e-3}
    solver = Solver(small_model(), digits_data, update_rule="adam", optim_config=optim_config, lr_decay=0.5,
                    num_epochs=3, batch_size=100, verbose=False)
    solver.train()
    assert optim_config == {"learning_rate": 1e-3}
    configs = list(solver.optim_configs.values())
    assert len({id(config) for config in configs}) == len(solver.model.params)
    assert all(config["learning_rate"] == pytest.approx(1e-3 * 0.5**3) for config in configs)
    assert all(config["m"].shape == solver.model.params[name].shape for name, config in solver.optim_configs.items())


def test_solver_accepts_a_callable_update_rule(digits_data):
    calls = []

    def halved_sgd(w, dw, config):
        calls.append(w.shape)
        return optim.sgd(w, dw / 2, config)

    solver = Solver(small_model(), digits_data, update_rule=halved_sgd, num_epochs=1, batch_size=100, verbose=False)
    solver.train()
    assert len(calls) == 2 * len(solver.model.params)
    assert solver.update_rule_name == "halved_sgd"


def test_check_accuracy_counts_correct_predictions_in_batches(digits_data):
    np.random.seed(0)
    model = small_model(dtype=np.float64)
    solver = Solver(model, digits_data, verbose=False)
    expected = np.mean(np.argmax(model.loss(digits_data["X_val"]), axis=1) == digits_data["y_val"])
    assert solver.check_accuracy(digits_data["X_val"], digits_data["y_val"], batch_size=7) == pytest.approx(expected)
    sampled = solver.check_accuracy(digits_data["X_val"], digits_data["y_val"], num_samples=10)
    assert sampled in {k / 10 for k in range(11)}


def test_solver_calls_callbacks_after_every_iteration_and_every_accuracy_check(digits_data):
    events = []
    solver = Solver(small_model(), digits_data, num_epochs=2, batch_size=100, verbose=False,
                    callbacks=[lambda s, event: events.append((event, s.iteration, len(s.val_acc_history)))])
    solver.train()
    # Two iterations per epoch; an iteration's event comes before the accuracy check that may follow it.
    assert [event for event in events if event[0] == "iteration"] == [
        ("iteration", 1, 0), ("iteration", 2, 1), ("iteration", 3, 2), ("iteration", 4, 2)
    ]
    assert [event for event in events if event[0] == "epoch"] == [("epoch", 1, 1), ("epoch", 2, 2), ("epoch", 4, 3)]


def test_solver_prints_iterations_and_epochs_when_verbose(digits_data, capsys):
    np.random.seed(0)
    Solver(small_model(), digits_data, num_epochs=1, batch_size=100, print_every=1).train()
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("(Iteration 1 / 2) loss: ")
    assert printed[1].startswith("(Epoch 0 / 1) train acc: ")
    assert printed[-1].startswith("(Epoch 1 / 1) train acc: ") and "val_acc: " in printed[-1]


def test_solver_progress_bar_shows_the_current_loss(digits_data, capsys):
    Solver(small_model(), digits_data, num_epochs=1, batch_size=100, verbose=False, progress=True).train()
    final_bar = capsys.readouterr().err.split("\r")[-1]
    assert "2/2" in final_bar and "loss=" in final_bar


def test_solver_rejects_unknown_keyword_arguments_listing_the_allowed_ones(digits_data):
    with pytest.raises(TypeError, match=r"unrecognized keyword arguments \['learning_rate'\].*'batch_size'"):
        Solver(small_model(), digits_data, learning_rate=1e-3)


def test_solver_rejects_an_unknown_update_rule_listing_the_rules(digits_data):
    rules = "'sgd', 'sgd_momentum', 'sgd_nesterov_momentum', 'rmsprop', 'adam'"
    with pytest.raises(ValueError, match=rf"unknown update_rule 'adagrad'.*{rules}"):
        Solver(small_model(), digits_data, update_rule="adagrad")


def test_solver_trains_with_nesterov_momentum_keeping_a_velocity_per_parameter(digits_data):
    np.random.seed(0)
    model = small_model()
    solver = Solver(model, digits_data, update_rule="sgd_nesterov_momentum", optim_config={"learning_rate": 0.1},
                    num_epochs=3, batch_size=20, verbose=False)
    solver.train()
    assert solver.update_rule is optim.sgd_nesterov_momentum
    assert solver.loss_history[-1] < 0.5 * solver.loss_history[0]
    assert {name: config["velocity"].shape for name, config in solver.optim_configs.items()} == \
        {name: value.shape for name, value in model.params.items()}


def test_solver_rejects_data_without_the_validation_split(digits_data):
    with pytest.raises(ValueError, match=r"data is missing \['X_val', 'y_val'\]"):
        Solver(small_model(), {"X_train": digits_data["X_train"], "y_train": digits_data["y_train"]})


def test_solver_writes_a_checkpoint_after_the_first_iteration_and_every_epoch(digits_data, tmp_path):
    np.random.seed(0)
    name = tmp_path / "run"
    solver = Solver(small_model(), digits_data, num_epochs=2, batch_size=100, verbose=False, checkpoint_name=str(name))
    solver.train()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["run_epoch_0.pkl", "run_epoch_1.pkl", "run_epoch_2.pkl"]
    with open(tmp_path / "run_epoch_1.pkl", "rb") as checkpoint_file:
        state = pickle.load(checkpoint_file)
    assert state["epoch"] == 1 and state["iteration"] == 2
    assert len(state["loss_history"]) == 2 and len(state["val_acc_history"]) == 2
    assert set(state["model_params"]) == set(solver.model.params) == set(state["optim_configs"])
    assert state["update_rule"] == "sgd"


@pytest.mark.parametrize("resume_epoch", [0, 2])
def test_resuming_from_a_checkpoint_reproduces_uninterrupted_training(digits_data, tmp_path, resume_epoch):
    options = dict(normalization="batchnorm", dropout_keep_ratio=0.8)
    settings = dict(update_rule="adam", optim_config={"learning_rate": 1e-2}, lr_decay=0.9, batch_size=40,
                    num_train_samples=50, verbose=False)

    np.random.seed(1)
    uninterrupted = Solver(small_model(**options), digits_data, num_epochs=4, checkpoint_name=str(tmp_path / "run"),
                           **settings)
    uninterrupted.train()

    np.random.seed(99)  # the checkpoint restores the random state; this must not matter
    resumed = Solver.from_checkpoint(tmp_path / f"run_epoch_{resume_epoch}.pkl", small_model(**options), digits_data,
                                     verbose=False)
    assert resumed.epoch == resume_epoch and resumed.num_epochs == 4
    resumed.train()

    assert resumed.loss_history == uninterrupted.loss_history
    assert resumed.train_acc_history == uninterrupted.train_acc_history
    assert resumed.val_acc_history == uninterrupted.val_acc_history
    assert resumed.best_val_acc == uninterrupted.best_val_acc
    for name, value in uninterrupted.model.params.items():
        assert np.array_equal(resumed.model.params[name], value), name
    assert np.array_equal(resumed.model.bn_params[0]["running_mean"], uninterrupted.model.bn_params[0]["running_mean"])


def test_load_checkpoint_refuses_a_model_with_other_parameters(digits_data, tmp_path):
    solver = Solver(small_model(), digits_data, num_epochs=1, batch_size=200, verbose=False,
                    checkpoint_name=str(tmp_path / "run"))
    solver.train()
    other = Solver(small_model(normalization="layernorm"), digits_data, verbose=False)
    with pytest.raises(ValueError, match=r"holds parameters \['W1', 'W2', 'b1', 'b2'\] but the model has"):
        other.load_checkpoint(tmp_path / "run_epoch_1.pkl")


def test_from_checkpoint_asks_for_a_custom_update_rule_again(digits_data, tmp_path):
    def plain_step(w, dw, config):
        return optim.sgd(w, dw, config)

    Solver(small_model(), digits_data, update_rule=plain_step, num_epochs=1, batch_size=200, verbose=False,
           checkpoint_name=str(tmp_path / "run")).train()
    with pytest.raises(ValueError, match="custom update rule 'plain_step'; pass it again"):
        Solver.from_checkpoint(tmp_path / "run_epoch_1.pkl", small_model(), digits_data)
    resumed = Solver.from_checkpoint(tmp_path / "run_epoch_1.pkl", small_model(), digits_data, update_rule=plain_step,
                                     num_epochs=2, verbose=False)
    resumed.train()
    assert len(resumed.loss_history) == 2

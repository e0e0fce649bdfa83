"""The library half of the demo trains a real ThreeLayerConvNet and writes real pictures."""
import pytest
from PIL import Image

from autograde.demo.training import train_convnet


@pytest.mark.slow
def test_training_writes_the_loss_curve_and_filter_grid_and_learns(tmp_path):
    summary = train_convnet(tmp_path, num_train=200, num_epochs=2, progress=False)
    for path in summary["files"]:
        with Image.open(path) as image:
            assert image.size[0] > 200 and image.size[1] > 200
    assert summary["train_acc"] > 0.5, "two epochs on 200 digits should beat chance (0.1) by far"

"""MONAI's 3D ResNet, redefined here as the oracle of the export tests (MONAI is not installed on CI).

Follows monai/networks/nets/resnet.py (Project-MONAI/MONAI, Apache-2.0; read at commit 00ec022f) module for module,
so that state_dict() has MONAI's exact keys, shapes and dtypes and the forward pass computes what MONAI's does:
- ResNetBlock (expansion 1): conv1 3^3 (stride, padding 1, no bias), bn1, relu, conv2 3^3, bn2, downsample, relu.
- ResNetBottleneck (expansion 4): conv1 1^3, bn1, conv2 3^3 (stride, padding 1), bn2, conv3 1^3 (planes * 4), bn3,
  relu, downsample.
- ResNet(block, layers, block_inplanes, spatial_dims=3, n_input_channels=3, conv1_t_size=7, conv1_t_stride=1,
  no_max_pool=False, shortcut_type='B', widen_factor=1.0, num_classes=400, feed_forward=True, bias_downsample=True):
  block_inplanes scaled by widen_factor (int()); conv1 with padding k // 2 and no bias; bn1; relu; maxpool(3, 2, 1);
  layer1 (stride 1) .. layer4 (stride 2); AdaptiveAvgPool3d(1); flatten; fc only when feed_forward.
- _make_layer: a downsample when stride != 1 or in_planes != planes * expansion; shortcut 'A' is
  _downsample_basic_block (avg-pool with kernel 1 and the stride, then zero channels appended; a function, so no
  state-dict keys), 'B' is Sequential(conv 1^3 with the stride and bias=bias_downsample, BatchNorm3d).
- Initialisation as MONAI: kaiming_normal_(fan_out, relu) for convs, BN weight 1 and bias 0.
Only spatial_dims=3 is needed here, so MONAI's Conv/Norm/Pool factories are nn.Conv3d, nn.BatchNorm3d, nn.MaxPool3d,
nn.AdaptiveAvgPool3d and F.avg_pool3d.
"""
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F


class ResNetBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, spatial_dims=3, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv3d(in_planes, planes, kernel_size=3, padding=1, stride=stride, bias=False)
        self.bn1 = nn.BatchNorm3d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv3d(planes, planes, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm3d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        residual = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            residual = self.downsample(x)
        out += residual
        return self.relu(out)


class ResNetBottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_planes, planes, spatial_dims=3, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv3d(in_planes, planes, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm3d(planes)
        self.conv2 = nn.Conv3d(planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm3d(planes)
        self.conv3 = nn.Conv3d(planes, planes * self.expansion, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm3d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        residual = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            residual = self.downsample(x)
        out += residual
        return self.relu(out)


class ResNet(nn.Module):
    def __init__(self, block, layers, block_inplanes, spatial_dims=3, n_input_channels=3, conv1_t_size=7,
                 conv1_t_stride=1, no_max_pool=False, shortcut_type='B', widen_factor=1.0, num_classes=400,
                 feed_forward=True, bias_downsample=True):
        super().__init__()
        if isinstance(block, str):
            if block == 'basic':
                block = ResNetBlock
            elif block == 'bottleneck':
                block = ResNetBottleneck
            else:
                raise ValueError("Unknown block '%s', use basic or bottleneck" % block)
        assert spatial_dims == 3, 'this oracle covers 3-D only'
        block_inplanes = [int(x * widen_factor) for x in block_inplanes]
        self.in_planes = block_inplanes[0]
        self.no_max_pool = no_max_pool
        self.bias_downsample = bias_downsample
        k = (conv1_t_size,) * 3 if isinstance(conv1_t_size, int) else tuple(conv1_t_size)
        s = (conv1_t_stride,) * 3 if isinstance(conv1_t_stride, int) else tuple(conv1_t_stride)
        self.conv1 = nn.Conv3d(n_input_channels, self.in_planes, kernel_size=k, stride=s,
                               padding=tuple(x // 2 for x in k), bias=False)
        self.bn1 = nn.BatchNorm3d(self.in_planes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool3d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, block_inplanes[0], layers[0], spatial_dims, shortcut_type)
        self.layer2 = self._make_layer(block, block_inplanes[1], layers[1], spatial_dims, shortcut_type, stride=2)
        self.layer3 = self._make_layer(block, block_inplanes[2], layers[2], spatial_dims, shortcut_type, stride=2)
        self.layer4 = self._make_layer(block, block_inplanes[3], layers[3], spatial_dims, shortcut_type, stride=2)
        self.avgpool = nn.AdaptiveAvgPool3d((1, 1, 1))
        self.fc = nn.Linear(block_inplanes[3] * block.expansion, num_classes) if feed_forward else None
        for m in self.modules():
            if isinstance(m, nn.Conv3d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
            elif isinstance(m, nn.BatchNorm3d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.constant_(m.bias, 0)

    def _downsample_basic_block(self, x, planes, stride, spatial_dims=3):
        out = F.avg_pool3d(x, kernel_size=1, stride=stride)
        zero_pads = torch.zeros(out.size(0), planes - out.size(1), *out.shape[2:], dtype=out.dtype, device=out.device)
        return torch.cat([out.data, zero_pads], dim=1)

    def _make_layer(self, block, planes, blocks, spatial_dims, shortcut_type, stride=1):
        downsample = None
        if stride != 1 or self.in_planes != planes * block.expansion:
            if shortcut_type not in ('A', 'B'):
                raise ValueError(shortcut_type)
            if shortcut_type == 'A':
                downsample = partial(self._downsample_basic_block, planes=planes * block.expansion, stride=stride,
                                     spatial_dims=spatial_dims)
            else:
                downsample = nn.Sequential(
                    nn.Conv3d(self.in_planes, planes * block.expansion, kernel_size=1, stride=stride,
                              bias=self.bias_downsample),
                    nn.BatchNorm3d(planes * block.expansion),
                )
        layers = [block(in_planes=self.in_planes, planes=planes, spatial_dims=spatial_dims, stride=stride,
                        downsample=downsample)]
        self.in_planes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.in_planes, planes, spatial_dims=spatial_dims))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        if not self.no_max_pool:
            x = self.maxpool(x)
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)
        x = self.avgpool(x)
        x = x.view(x.size(0), -1)
        if self.fc is not None:
            x = self.fc(x)
        return x

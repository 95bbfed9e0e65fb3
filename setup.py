"""qnn: quantized MLPs for FPGAs, reproducing the FINN/BNN-PYNQ precision study."""
from setuptools import find_packages, setup

setup(
    name='qnn',
    version='0.1.0',
    description='Quantized neural networks in Theano/Lasagne and a FINN-style hardware generator',
    long_description=open('README.md').read(),
    long_description_content_type='text/markdown',
    license='BSD-3-Clause',
    packages=find_packages(include=['qnn', 'qnn.*', 'hwgen', 'hwgen.*', 'experiments',
                                    'experiments.*', 'qnn_brevitas', 'qnn_brevitas.*']),
    python_requires='>=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*, !=3.5.*, !=3.6.*, !=3.7.*, !=3.8.*, <3.12',
    package_data={'hwgen.hls': ['templates/*.in'], 'hwgen.estimate': ['data/*.json'],
                  'hwgen.rtl': ['templates/*.v', 'templates/*.in', 'templates/*.cpp']},
    install_requires=['numpy', 'scipy', 'Theano', 'Lasagne', 'tqdm'],
    extras_require={'figures': ['matplotlib'], 'results': ['h5py']},
    classifiers=[
        'Programming Language :: Python :: 2.7',
        'Programming Language :: Python :: 3.9',
        'Programming Language :: Python :: 3.10',
        'Programming Language :: Python :: 3.11',
    ],
)

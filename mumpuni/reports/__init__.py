"""Official reports (issue 9 §3): generated in the background with progress, archived, downloadable."""

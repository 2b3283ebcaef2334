"""Run the demo host page: python -m storefront.demo_host --port 5001 --store demo."""

from storefront.demo_host import main

main()

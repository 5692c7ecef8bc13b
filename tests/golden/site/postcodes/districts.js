/* Postcode districts and the boroughs they lie in, made from boroughs.yaml. */
window.liaisonPostcodes={"names":{"northtown":"Northtown","southtown":"Southtown"},"districts":{"NT1":["northtown"],"NT2":["northtown"],"ST1":["southtown"]}};

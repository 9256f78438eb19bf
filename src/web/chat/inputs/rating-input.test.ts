import { describe, expect, it } from 'vitest'
import { toRatingValues } from './rating-input.js'

describe('rating values', () => {
  it.each([
    [{}, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    [{ buttonType: 'Numbers', length: 5, startsAt: 1 }, [1, 2, 3, 4, 5]],
    [{ buttonType: 'Icons', length: 5 }, [1, 2, 3, 4, 5]],
    [{ buttonType: 'Icons', length: 3, startsAt: 0 }, [1, 2, 3]],
    [{ length: 0 }, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ])('%j offers %j', (options, expected) => {
    expect(toRatingValues(options)).toEqual(expected)
  })
})
